import { setAliasesInput } from '@deskwatch/shared';
import { describe, expect, it } from 'vitest';
import { formatAliases, parseAliases } from './aliases';

describe('aliases as an admin types them', () => {
  it('reads one alias a line: a name or an e-mail, for one tool or every tool', () => {
    const aliases = parseAliases(
      'redmine: Alice Agent\n\n  alice@helpdesk.example \nzendesk: alice@zd.example\nDr. A: Smith',
    );
    expect(aliases).toEqual([
      { tool: 'redmine', name: 'Alice Agent' },
      { email: 'alice@helpdesk.example' },
      { tool: 'zendesk', email: 'alice@zd.example' },
      // "Dr. A" is no adapter id: the whole line is the name.
      { name: 'Dr. A: Smith' },
    ]);
    expect(setAliasesInput.safeParse({ userId: 'u', aliases }).success).toBe(true);
  });

  it('writes back what it reads', () => {
    const text = 'redmine: Alice Agent\nalice@helpdesk.example';
    const stored = parseAliases(text).map((a) => ({
      tool: a.tool ?? null,
      name: a.name ?? null,
      email: a.email ?? null,
    }));
    expect(formatAliases(stored)).toBe(text);
  });
});
