import { defineConfig } from 'wxt';

export default defineConfig({
  srcDir: 'src',
  modules: ['@wxt-dev/module-react'],
  // Preact's React-compatible build: the same components at a fraction of React's size, which
  // matters in a script injected into every ticket page.
  vite: () => ({
    resolve: {
      alias: [
        { find: /^react-dom\/client$/, replacement: 'preact/compat/client' },
        { find: /^react-dom$/, replacement: 'preact/compat' },
        { find: /^react\/jsx-runtime$/, replacement: 'preact/jsx-runtime' },
        { find: /^react\/jsx-dev-runtime$/, replacement: 'preact/jsx-dev-runtime' },
        { find: /^react$/, replacement: 'preact/compat' },
      ],
    },
  }),
  manifest: {
    name: 'Deskwatch',
    description:
      'Live SLA timers, escalations and help for the ticket you are reading, in any ticketing tool.',
    permissions: ['storage', 'scripting', 'activeTab'],
    action: { default_title: 'Deskwatch' },
    // Loopback hosts are granted at install (see overlay.content: registration "runtime") so a
    // server on this machine pairs without a prompt; any other server's origin is asked for
    // at pairing time, one origin at a time. There is no <all_urls>.
    optional_host_permissions: ['https://*/*', 'http://*/*'],
    browser_specific_settings: {
      gecko: {
        id: 'deskwatch@deskwatch.dev',
        strict_min_version: '115.0',
        // Ticket fields (subject, requester e-mail) go to the team's own Deskwatch server.
        data_collection_permissions: { required: ['websiteContent', 'personallyIdentifyingInfo'] },
      },
    },
  },
});
