/** Overlay CSS, adopted into its shadow root (constructed sheets are not subject to the page's CSP). */
export const overlayCss = `
.kb { display: grid; gap: 6px; border-top: 1px solid #ebecf0; padding-top: 8px; }
.kb-search { display: flex; gap: 4px; }
.kb-search input { flex: 1; min-width: 0; font: inherit; padding: 3px 6px; border: 1px solid #c1c7d0; border-radius: 6px; }
.kb-title { font-weight: 600; }
.kb-list { margin: 0; padding: 0; list-style: none; display: grid; gap: 8px; max-height: 320px; overflow: auto; }
.kb-list li { border: 1px solid #ebecf0; border-radius: 8px; padding: 6px 8px; }
.kb-article { color: #0052cc; font-weight: 600; text-decoration: none; }
.kb-snippet { margin: 4px 0; font-size: 12px; color: #42526e; }
.kb-snippet mark { background: #fff0b3; color: inherit; padding: 0 1px; }
.kb-why { margin: 0 0 4px; font-size: 11px; }
.kb-actions { display: flex; flex-wrap: wrap; gap: 4px; }
.kb-actions button { padding: 2px 6px; font-size: 12px; }
.kb-actions button[aria-pressed="true"] { background: #deebff; border-color: #4c9aff; }
.kb-flag, .kb-draft { display: grid; gap: 4px; margin-top: 4px; }
.kb-flag input, .kb-draft input, .kb-draft textarea { font: inherit; padding: 3px 6px; border: 1px solid #c1c7d0; border-radius: 6px; }
:host { all: initial; }
.dw { position: fixed; right: 16px; bottom: 16px; z-index: 2147483647; width: 300px; font: 13px/1.4 system-ui, sans-serif;
  color: #172b4d; background: #fff; border: 1px solid #c1c7d0; border-radius: 10px; box-shadow: 0 6px 24px rgba(9,30,66,.25);
  max-height: calc(100vh - 32px); overflow: auto; overscroll-behavior: contain; }
.dw header { display: flex; align-items: center; gap: 8px; padding: 8px 10px; border-bottom: 1px solid #ebecf0;
  position: sticky; top: 0; z-index: 1; background: #fff; border-radius: 10px 10px 0 0; }
.dw header strong { flex: 1; }
.dw[data-collapsed="true"] { width: auto; min-width: 300px; }
.dw header .peek { font: 600 12px/1.2 ui-monospace, monospace; padding: 2px 6px; border-radius: 6px; white-space: nowrap;
  background: #e3fcef; color: #006644; }
.dw header .peek[data-status="running"][data-warn="true"] { background: #fffae6; color: #7a4b00; }
.dw header .peek[data-status="paused"] { background: #f4f5f7; color: #42526e; }
.dw header .peek[data-status="breached"] { background: #ffebe6; color: #bf2600; }
.dw button.move { cursor: grab; border: 0; background: none; padding: 2px 4px; font-size: 16px; line-height: 1; touch-action: none; }
.dw button { font: inherit; cursor: pointer; border-radius: 6px; border: 1px solid #c1c7d0; background: #f4f5f7; padding: 4px 10px; }
.dw button.primary { background: #0052cc; color: #fff; border-color: #0052cc; }
.dw button:focus-visible, .dw select:focus-visible, .dw textarea:focus-visible { outline: 2px solid #4c9aff; outline-offset: 1px; }
.dw .body { padding: 8px 10px; display: grid; gap: 8px; }
.target { border-radius: 8px; padding: 6px 8px; background: #e3fcef; }
.target[data-status="running"][data-warn="true"] { background: #fffae6; }
.target[data-status="paused"] { background: #f4f5f7; }
.target[data-status="breached"] { background: #ffebe6; color: #bf2600; }
.target[data-status="met"] { background: #e9f2ff; }
.target .name { font-weight: 600; }
.target .time { font: 600 18px/1.2 ui-monospace, monospace; }
.target .note { font-size: 12px; color: #5e6c84; }
.bar { height: 4px; background: rgba(9,30,66,.1); border-radius: 2px; overflow: hidden; }
.bar > i { display: block; height: 100%; background: currentColor; opacity: .6; }
form { display: grid; gap: 6px; }
select, textarea { font: inherit; width: 100%; box-sizing: border-box; }
textarea { min-height: 60px; }
.escalation { border-left: 4px solid #6554c0; padding: 4px 8px; background: #f4f5f7; border-radius: 4px; }
.escalation[data-state="approved"] { border-color: #36b37e; }
.escalation[data-state="denied"] { border-color: #de350b; }
.error { color: #bf2600; }
.explain { font-size: 12px; max-height: 240px; overflow: auto; }
.explain ol { margin: 2px 0 6px; padding-left: 18px; }
.explain li[data-kind="paused"], .explain li[data-kind="outside_hours"], .explain li[data-kind="holiday"] { color: #5e6c84; }
.muted { color: #5e6c84; }
`;
