#!/usr/bin/env node
// Runs the server with settings from the environment until SIGTERM or SIGINT.
import { runServer } from '../dist/index.js';

runServer().catch((error) => {
  console.error(`pmkit-server: ${error.message}`);
  process.exit(1);
});
