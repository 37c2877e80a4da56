import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import type { Holiday } from '@deskwatch/shared';
import { useTRPC } from '../../trpc';
import { holidaysFromICalendar, type ICalendarHolidays } from './ical-holidays';

/** One holiday in words, for the preview: what will be added, before it is. */
export function holidayText(h: Holiday): string {
  const when =
    'date' in h ? h.date : 'from' in h ? `${h.from} to ${h.to}` : `every year on ${h.yearly}`;
  return h.name ? `${when}: ${h.name}` : when;
}

interface Preview extends ICalendarHolidays {
  source: string;
}

/**
 * Holidays read from an iCalendar file, or from a URL the server fetches (`sla.fetchICalendar`:
 * feeds rarely allow the browser to read them), parsed here and shown before they are added.
 */
export function HolidayImport({ onAdd }: { onAdd: (holidays: Holiday[]) => void }) {
  const trpc = useTRPC();
  const [url, setUrl] = useState('');
  const [preview, setPreview] = useState<Preview | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const fetchFeed = useMutation(trpc.sla.fetchICalendar.mutationOptions());

  function read(text: string, source: string) {
    try {
      const r = holidaysFromICalendar(text, { untilYear: new Date().getFullYear() + 2 });
      setPreview({ ...r, source });
      setProblem(null);
    } catch (e) {
      setPreview(null);
      setProblem(`${source} is not an iCalendar file: ${(e as Error).message}`);
    }
  }

  async function readUrl() {
    setPreview(null);
    setProblem(null);
    try {
      const got = await fetchFeed.mutateAsync({ url });
      read(got.text, got.url);
    } catch (e) {
      setProblem((e as Error).message);
    }
  }

  return (
    <div className="holiday-import">
      <label>
        Import holidays from an iCalendar file (.ics)
        <input
          type="file"
          accept=".ics,text/calendar"
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file) void file.text().then((text) => read(text, file.name));
            e.target.value = '';
          }}
        />
      </label>
      <label>
        Import holidays from an iCalendar URL
        <input
          type="url"
          inputMode="url"
          placeholder="https://…/holidays.ics"
          value={url}
          onChange={(e) => setUrl(e.target.value)}
        />
      </label>
      <button
        type="button"
        disabled={!url.trim() || fetchFeed.isPending}
        onClick={() => void readUrl()}
      >
        {fetchFeed.isPending ? 'Reading…' : 'Read holidays from the URL'}
      </button>
      {problem && (
        <p className="field-message" role="alert">
          {problem}
        </p>
      )}
      {preview && (
        <section
          className="ical-preview"
          aria-label="Holidays to import"
          data-testid="ical-preview"
        >
          <p className="muted">
            {preview.holidays.length} holidays read from {preview.source}
            {preview.skipped.length ? `; skipped ${preview.skipped.length} timed events` : ''}
          </p>
          <ul className="plain">
            {preview.holidays.map((h, i) => (
              <li key={i}>{holidayText(h)}</li>
            ))}
          </ul>
          <div className="actions">
            <button
              type="button"
              className="primary"
              disabled={preview.holidays.length === 0}
              onClick={() => {
                onAdd(preview.holidays);
                setPreview(null);
              }}
            >
              Add these {preview.holidays.length} holidays
            </button>
            <button type="button" onClick={() => setPreview(null)}>
              Discard
            </button>
          </div>
        </section>
      )}
    </div>
  );
}
