import { navigate as wouterNavigate } from 'wouter/use-browser-location';

/** In-app navigation (history push); links inside the app use wouter's `<Link>`. */
export function navigate(to: string) {
  wouterNavigate(to);
}
