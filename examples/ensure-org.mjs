#!/usr/bin/env node
// Bootstrap for CI and provisioning scripts: sign in (creating the account on a fresh server),
// make sure an organization exists, and print its id. Safe to run any number of times.
//
//   PM_SERVER=http://127.0.0.1:4680 PM_EMAIL=ci@example.com PM_PASSWORD=... \
//     node examples/ensure-org.mjs acme "Acme Inc."
import { createClient, isPmError } from '@pmkit/sdk';

const [slug, name] = process.argv.slice(2);
const { PM_SERVER = 'http://127.0.0.1:4680', PM_EMAIL, PM_PASSWORD } = process.env;
if (!slug || !PM_EMAIL || !PM_PASSWORD) {
  console.error('usage: PM_EMAIL=… PM_PASSWORD=… node ensure-org.mjs <slug> [name]');
  process.exit(2);
}

const pm = createClient({ baseUrl: PM_SERVER });
try {
  await pm.auth.login({ email: PM_EMAIL, password: PM_PASSWORD });
} catch (error) {
  if (!isPmError(error) || error.status !== 401) throw error;
  await pm.auth.register({
    email: PM_EMAIL,
    password: PM_PASSWORD,
    name: PM_EMAIL.split('@')[0] ?? 'ci',
  });
}

let org;
try {
  org = await pm.orgs.get(slug);
} catch (error) {
  if (!isPmError(error) || error.status !== 404) throw error;
  org = await pm.orgs.create({ name: name ?? slug, slug });
  console.error(`created organization ${org.slug}`);
}
console.log(org.id);
