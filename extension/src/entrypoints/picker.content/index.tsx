import { createRoot } from 'react-dom/client';
import { Picker, PICKER_TAG, pickerCss } from '../../picker/Picker';

export default defineContentScript({
  // Injected into the current tab when the user clicks "Teach Deskwatch this page" (activeTab):
  // never registered on any site.
  matches: ['http://127.0.0.1/*'],
  registration: 'runtime',
  main() {
    if (document.querySelector(PICKER_TAG)) return; // clicked twice: one picker
    const host = document.createElement(PICKER_TAG);
    const shadow = host.attachShadow({ mode: 'open' });
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(pickerCss);
    shadow.adoptedStyleSheets = [sheet];
    // The page's own handlers (menus closing on click, shortcuts) never see what happens in the picker.
    for (const type of [
      'click',
      'mousedown',
      'mouseup',
      'pointerdown',
      'keydown',
      'keyup',
      'input',
    ])
      host.addEventListener(type, (e) => e.stopPropagation());
    const mount = document.createElement('div');
    shadow.append(mount);
    document.documentElement.append(host);
    const root = createRoot(mount);
    root.render(
      <Picker
        onClose={() => {
          root.unmount();
          host.remove();
        }}
      />,
    );
  },
});
