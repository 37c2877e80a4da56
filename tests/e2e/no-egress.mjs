// Preloaded into a server under test (NODE_OPTIONS=--import) so that it can reach nothing but
// loopback, whatever its own code decides:
// - name resolution answers from the JSON table in DESKWATCH_TEST_DNS (read at every lookup, so a
//   test can rebind a name), `localhost` is 127.0.0.1, and any other name fails;
// - every socket connection to an address outside loopback fails before it is made, and is
//   written to DESKWATCH_TEST_EGRESS_LOG, which the test expects to stay empty.
import { appendFileSync, readFileSync } from 'node:fs';
import dns from 'node:dns';
import net from 'node:net';

const table = () => ({
  localhost: ['127.0.0.1'],
  ...JSON.parse(readFileSync(process.env.DESKWATCH_TEST_DNS, 'utf8')),
});
const familyOf = (a) => (net.isIPv6(a) ? 6 : 4);
const isLoopback = (a) =>
  (net.isIPv4(a) && a.startsWith('127.')) || a === '::1' || /^::ffff:127\./i.test(a);

function answer(hostname) {
  if (net.isIP(hostname)) return [{ address: hostname, family: net.isIP(hostname) }];
  const addresses = table()[hostname];
  if (!addresses)
    throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
  return addresses.map((address) => ({ address, family: familyOf(address) }));
}

function stubLookup(hostname, options, callback) {
  if (typeof options === 'function') [callback, options] = [options, {}];
  if (typeof options === 'number') options = { family: options };
  try {
    const all = answer(hostname);
    if (options?.all) callback(null, all);
    else callback(null, all[0].address, all[0].family);
  } catch (err) {
    callback(err);
  }
}
dns.lookup = stubLookup;
dns.promises.lookup = (hostname, options) =>
  new Promise((ok, fail) =>
    stubLookup(hostname, options ?? {}, (err, address, family) =>
      err ? fail(err) : ok(options?.all ? address : { address, family }),
    ),
  );

function refuse(address, callback) {
  appendFileSync(process.env.DESKWATCH_TEST_EGRESS_LOG, `${address}\n`);
  callback(Object.assign(new Error(`test: no egress to ${address}`), { code: 'ETESTEGRESS' }));
}

/** Wraps the lookup a connection will use so that it can only ever hand over loopback addresses. */
function loopbackOnly(lookup) {
  return (hostname, options, callback) =>
    lookup(hostname, options, (err, address, family) => {
      if (err) return callback(err);
      const list = Array.isArray(address) ? address.map((a) => a.address) : [address];
      const outside = list.find((a) => !isLoopback(a));
      if (outside) return refuse(outside, callback);
      callback(null, address, family);
    });
}

const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  // Node passes either (options, cb) or its own normalized [options, cb] array.
  const options = Array.isArray(args[0]) ? args[0][0] : args[0];
  if (options && typeof options === 'object' && !options.path) {
    const host = options.host ?? 'localhost';
    if (net.isIP(host) && !isLoopback(host)) {
      refuse(host, (err) => process.nextTick(() => this.destroy(err)));
      return this;
    }
    options.lookup = loopbackOnly(options.lookup ?? stubLookup);
  }
  return connect.apply(this, args);
};
