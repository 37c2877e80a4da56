/** What the extension keeps: only in the background worker's storage, never in pages. */
export interface Settings {
  serverUrl: string | null;
  token: string | null;
}

export async function loadSettings(): Promise<Settings> {
  const s = await browser.storage.local.get(['serverUrl', 'token']);
  return {
    serverUrl: (s.serverUrl as string | undefined) ?? null,
    token: (s.token as string | undefined) ?? null,
  };
}

export async function saveSettings(s: Partial<Settings>) {
  await browser.storage.local.set(s);
}
