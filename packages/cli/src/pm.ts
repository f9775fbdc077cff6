import { createFactory } from './factory.js';
import { systemIO } from './io.js';
import { run } from './main.js';

const env = process.env;
const code = await run(process.argv.slice(2), createFactory({ io: systemIO(env), env }));
// Let piped stdout drain before exiting, or the tail of the output can be lost.
process.stdout.write('', () => process.exit(code));
