import { beforeEach, describe, expect, it, vi } from 'vitest';
import { loadPickerDraft, savePickerDraft } from './settings';

/** The extension's local storage, in memory. */
function memoryStorage() {
  let data: Record<string, unknown> = {};
  return {
    async get(key: string) {
      return key in data ? { [key]: structuredClone(data[key]) } : {};
    },
    async set(items: Record<string, unknown>) {
      data = { ...data, ...structuredClone(items) };
    },
  };
}

beforeEach(() => {
  vi.stubGlobal('browser', { storage: { local: memoryStorage() } });
});

describe('picker drafts', () => {
  it('keeps a draft per site until it is forgotten', async () => {
    await savePickerDraft('https://a.example', { savedAt: 1, draft: { name: 'A' } });
    await savePickerDraft('https://b.example', { savedAt: 2, draft: { name: 'B' } });
    expect(await loadPickerDraft('https://a.example')).toEqual({
      savedAt: 1,
      draft: { name: 'A' },
    });
    await savePickerDraft('https://a.example', null);
    expect(await loadPickerDraft('https://a.example')).toBeNull();
    expect(await loadPickerDraft('https://b.example')).toEqual({
      savedAt: 2,
      draft: { name: 'B' },
    });
  });

  it('keeps the newest 20 sites', async () => {
    for (let i = 0; i < 22; i++)
      await savePickerDraft(`https://t${i}.example`, { savedAt: 100 + i, draft: {} });
    expect(await loadPickerDraft('https://t0.example')).toBeNull();
    expect(await loadPickerDraft('https://t1.example')).toBeNull();
    expect(await loadPickerDraft('https://t2.example')).not.toBeNull();
    expect(await loadPickerDraft('https://t21.example')).not.toBeNull();
  });

  it('refuses a draft too large to be a picker’s, keeping the one before', async () => {
    await savePickerDraft('https://a.example', { savedAt: 1, draft: { name: 'A' } });
    await expect(
      savePickerDraft('https://a.example', { savedAt: 2, draft: { blob: 'x'.repeat(300_000) } }),
    ).rejects.toThrow('too large');
    expect(await loadPickerDraft('https://a.example')).toEqual({
      savedAt: 1,
      draft: { name: 'A' },
    });
  });
});
