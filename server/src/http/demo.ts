import { asc, desc, eq } from 'drizzle-orm';
import { Hono, type Context } from 'hono';
import { html } from 'hono/html';
import { z } from 'zod';
import type { Db } from '../db/client.js';
import { demoChanges, demoMessages, demoTickets } from '../db/schema.js';

export const DEMO_STATUSES = ['New', 'Open', 'Pending', 'On-hold', 'Solved', 'Closed'] as const;
export const DEMO_PRIORITIES = ['Low', 'Normal', 'High', 'Urgent'] as const;

const replyForm = z.object({
  body: z.string().trim().min(1, 'A reply needs some text').max(10_000),
  author: z.enum(['agent', 'customer']).default('agent'),
  internal: z.literal('on').optional(),
});
const fieldsForm = z.object({ status: z.enum(DEMO_STATUSES), priority: z.enum(DEMO_PRIORITIES) });
const newTicketForm = z.object({
  subject: z.string().trim().min(3).max(200),
  requester: z.email(),
  priority: z.enum(DEMO_PRIORITIES),
  body: z.string().trim().min(1).max(10_000),
});

const STYLE = `
body{font:15px/1.45 system-ui,sans-serif;margin:0;background:#f4f5f7;color:#172b4d}
header.top{background:#253858;color:#fff;padding:10px 20px;display:flex;gap:16px;align-items:center}
header.top a{color:#fff;text-decoration:none;font-weight:600}
main{max-width:960px;margin:20px auto;padding:0 16px}
table{width:100%;border-collapse:collapse;background:#fff}
th,td{text-align:left;padding:8px;border-bottom:1px solid #dfe1e6}
.ticket{background:#fff;padding:16px 20px;border-radius:6px}
dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px}
dt{color:#5e6c84}
.thread{list-style:none;padding:0}
.message{border:1px solid #dfe1e6;border-radius:6px;padding:8px 12px;margin:8px 0}
.message[data-visibility=internal]{background:#fffae6}
.message[data-author-kind=agent]{border-left:4px solid #0052cc}
.body{white-space:pre-wrap}
form{margin:12px 0}
textarea{width:100%;min-height:80px}
.error{color:#bf2600}
.history{list-style:none;padding:0;color:#42526e;font-size:14px}
.history li{margin:2px 0}
`;

function page(title: string, body: unknown) {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title} · Demo Desk</title>
        <link rel="stylesheet" href="/demo/demo.css" />
      </head>
      <body>
        <header class="top">
          <a href="/demo">Demo Desk</a><span>a stand-in ticketing tool for trying Deskwatch</span>
        </header>
        <main>${body}</main>
      </body>
    </html>`;
}

/**
 * The posted form's fields, or null when the body is not a form (a JSON post, a broken
 * multipart body): then no schema matches and the page answers 400.
 */
async function readForm(c: Context): Promise<Record<string, unknown> | null> {
  const type = c.req.header('content-type') ?? '';
  if (!/^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i.test(type)) return null;
  return c.req.formData().then(
    (f) => Object.fromEntries(f),
    () => null,
  );
}

/** The form's fields checked by `schema`, or the 400 page that says what is wrong. */
async function parseForm<T extends z.ZodType>(
  c: Context,
  schema: T,
): Promise<z.output<T> | Response> {
  const fields = await readForm(c);
  const parsed = fields && schema.safeParse(fields);
  if (parsed?.success) return parsed.data;
  const message = parsed
    ? parsed.error.issues.map((i) => i.message).join('; ')
    : 'Send this as a form (application/x-www-form-urlencoded or multipart/form-data).';
  return c.html(page('Error', html`<p class="error">${message}</p>`), 400);
}

const time = (ms: number) =>
  html`<time datetime="${new Date(ms).toISOString()}">${new Date(ms).toUTCString()}</time>`;

/** A small ticketing tool, so the overlay can be seen without owning one. Deskwatch reads it only through its pages. */
export function demoDesk(db: Db, now: () => number) {
  const app = new Hono();

  // A file, not an inline <style>, so the pages' CSP can say style-src 'self'.
  app.get('/demo.css', (c) =>
    c.body(STYLE, 200, { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'no-cache' }),
  );

  app.get('/', async (c) => {
    const rows = await db.select().from(demoTickets).orderBy(desc(demoTickets.createdAt));
    return c.html(
      page(
        'Tickets',
        html`<h1>Tickets</h1>
          <table class="ticket-list">
            <thead>
              <tr>
                <th>#</th>
                <th>Subject</th>
                <th>Status</th>
                <th>Priority</th>
                <th>Requester</th>
                <th>Created</th>
              </tr>
            </thead>
            <tbody>
              ${rows.map(
                (t) =>
                  html`<tr data-ticket-id="${t.id}">
                    <td>${t.id}</td>
                    <td><a href="/demo/tickets/${t.id}">${t.subject}</a></td>
                    <td>${t.status}</td>
                    <td>${t.priority}</td>
                    <td>${t.requester}</td>
                    <td>${time(t.createdAt)}</td>
                  </tr>`,
              )}
            </tbody>
          </table>
          <h2>New ticket</h2>
          <form method="post" action="/demo/tickets">
            <p>
              <input name="subject" placeholder="Subject" required />
              <input name="requester" type="email" placeholder="requester@example.com" required />
              <select name="priority">
                ${DEMO_PRIORITIES.map((p) => html`<option ${p === 'Normal' ? 'selected' : ''}>${p}</option>`)}
              </select>
            </p>
            <textarea name="body" placeholder="What the customer wrote" required></textarea>
            <button>Create ticket</button>
          </form>`,
      ),
    );
  });

  app.post('/tickets', async (c) => {
    const form = await parseForm(c, newTicketForm);
    if (form instanceof Response) return form;
    const t = now();
    const id = await db.transaction(async (tx) => {
      const [row] = await tx
        .insert(demoTickets)
        .values({
          subject: form.subject,
          status: 'New',
          priority: form.priority,
          requester: form.requester,
          createdAt: t,
          historyKnown: true,
        })
        .returning();
      await tx.insert(demoMessages).values({
        ticketId: row!.id,
        authorKind: 'customer',
        authorName: form.requester,
        public: true,
        body: form.body,
        createdAt: t,
      });
      return row!.id;
    });
    return c.redirect(`/demo/tickets/${id}`, 303);
  });

  app.get('/tickets/:id{[0-9]+}', async (c) => {
    const id = Number(c.req.param('id'));
    const t = await db.query.demoTickets.findFirst({ where: eq(demoTickets.id, id) });
    if (!t) return c.html(page('Not found', html`<p>No ticket #${id}.</p>`), 404);
    const msgs = await db
      .select()
      .from(demoMessages)
      .where(eq(demoMessages.ticketId, id))
      .orderBy(demoMessages.createdAt);
    const changes = await db
      .select()
      .from(demoChanges)
      .where(eq(demoChanges.ticketId, id))
      .orderBy(asc(demoChanges.at), asc(demoChanges.id));
    return c.html(
      page(
        t.subject,
        html`<article class="ticket" data-ticket-id="${t.id}">
          <h1 class="ticket-subject">${t.subject}</h1>
          <dl class="ticket-fields">
            <dt>Ticket</dt>
            <dd>#${t.id}</dd>
            <dt>Status</dt>
            <dd data-field="status">${t.status}</dd>
            <dt>Priority</dt>
            <dd data-field="priority">${t.priority}</dd>
            <dt>Requester</dt>
            <dd data-field="requester">${t.requester}</dd>
            <dt>Created</dt>
            <dd data-field="created">${time(t.createdAt)}</dd>
          </dl>
          <h2>Conversation</h2>
          <ol class="thread">
            ${msgs.map(
              (m) =>
                html`<li
                  class="message"
                  data-message-id="${m.id}"
                  data-author-kind="${m.authorKind}"
                  data-visibility="${m.public ? 'public' : 'internal'}"
                >
                  <div class="meta">
                    <strong class="author">${m.authorName}</strong>
                    ${m.public ? '' : '(internal note)'} · ${time(m.createdAt)}
                  </div>
                  <div class="body">${m.body}</div>
                </li>`,
            )}
          </ol>
          <h2>History</h2>
          ${
            t.historyKnown
              ? html`<!-- Every change since creation; none yet means the ticket is as it was created. -->
                  <ol class="history">
                    ${changes.map(
                      (ch) =>
                        html`<li class="change" data-change-id="${ch.id}">
                          ${time(ch.at)} ·
                          <span class="field"
                            >${ch.field === 'status' ? 'Status' : 'Priority'}</span
                          >
                          changed from <span class="from">${ch.from}</span> to
                          <span class="to">${ch.to}</span>
                        </li>`,
                    )}
                  </ol>`
              : html`<p class="history-unknown">
                  Not kept for tickets from before the history was.
                </p>`
          }
          <form method="post" action="/demo/tickets/${t.id}/reply" class="reply">
            <textarea name="body" placeholder="Write a reply" required></textarea>
            <label><input type="checkbox" name="internal" /> Internal note</label>
            <select name="author">
              <option value="agent">as agent</option>
              <option value="customer">as customer</option>
            </select>
            <button>Send</button>
          </form>
          <form method="post" action="/demo/tickets/${t.id}/fields" class="fields">
            <select name="status">
              ${DEMO_STATUSES.map((s) => html`<option ${s === t.status ? 'selected' : ''}>${s}</option>`)}
            </select>
            <select name="priority">
              ${DEMO_PRIORITIES.map((p) => html`<option ${p === t.priority ? 'selected' : ''}>${p}</option>`)}
            </select>
            <button>Update</button>
          </form>
        </article>`,
      ),
    );
  });

  app.post('/tickets/:id{[0-9]+}/reply', async (c) => {
    const id = Number(c.req.param('id'));
    const form = await parseForm(c, replyForm);
    if (form instanceof Response) return form;
    const t = await db.query.demoTickets.findFirst({ where: eq(demoTickets.id, id) });
    if (!t) return c.notFound();
    const agent = form.author === 'agent';
    await db.insert(demoMessages).values({
      ticketId: id,
      authorKind: form.author,
      authorName: agent ? 'Demo Agent' : t.requester,
      public: !(agent && form.internal),
      body: form.body,
      createdAt: now(),
    });
    return c.redirect(`/demo/tickets/${id}`, 303);
  });

  app.post('/tickets/:id{[0-9]+}/fields', async (c) => {
    const id = Number(c.req.param('id'));
    const form = await parseForm(c, fieldsForm);
    if (form instanceof Response) return form;
    const found = await db.transaction(async (tx) => {
      const t = await tx.query.demoTickets.findFirst({ where: eq(demoTickets.id, id) });
      if (!t) return false;
      const at = now();
      const changed = (['status', 'priority'] as const).filter((f) => t[f] !== form[f]);
      if (changed.length === 0) return true;
      await tx.update(demoTickets).set(form).where(eq(demoTickets.id, id));
      await tx
        .insert(demoChanges)
        .values(
          changed.map((field) => ({ ticketId: id, field, from: t[field], to: form[field], at })),
        );
      return true;
    });
    if (!found) return c.notFound();
    return c.redirect(`/demo/tickets/${id}`, 303);
  });

  return app;
}
