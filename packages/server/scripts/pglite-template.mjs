// Build step: the freshly created PGlite cluster a first start loads instead of running initdb.
import { writePgliteTemplate } from '../dist/index.js';

await writePgliteTemplate();
