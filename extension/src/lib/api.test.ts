import { expect, it } from 'vitest';
import { demoDeskPattern } from './registrations';
import { originPattern } from './api';

it('asks host access for the server origin only, and registers the overlay for its Demo Desk', () => {
  expect(originPattern('https://desk.example.com:8443/anything')).toBe(
    'https://desk.example.com/*',
  );
  expect(demoDeskPattern('http://127.0.0.1:8787')).toBe('http://127.0.0.1/demo*');
});
