import type { AgentAlias } from '@deskwatch/shared';

type Alias = { tool: string | null; name: string | null; email: string | null };

const TOOL = /^([a-z0-9][a-z0-9-]{0,39}):\s*(.+)$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * An agent's aliases as an admin types them, one a line: a name or an e-mail, with the tool's
 * adapter id first where it holds in one tool only (`redmine: Alice Agent`).
 */
export function parseAliases(text: string): AgentAlias[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((line) => {
      const m = line.match(TOOL);
      const tool = m ? m[1]! : undefined;
      const value = (m ? m[2]! : line).trim();
      return {
        ...(tool ? { tool } : {}),
        ...(EMAIL.test(value) ? { email: value } : { name: value }),
      };
    });
}

/** The text `parseAliases` reads back into the same aliases. */
export function formatAliases(aliases: Alias[]): string {
  return aliases.map((a) => `${a.tool ? `${a.tool}: ` : ''}${a.email ?? a.name ?? ''}`).join('\n');
}
