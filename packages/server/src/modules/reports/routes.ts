import type { Handlers } from '../../http/handler-types.js';

// Placeholder on the working branch only: the reports module replaces it before it lands.
export function reportHandlers(): Pick<Handlers, 'getTimeReport'> {
  return {
    getTimeReport: async () => {
      throw new Error('getTimeReport is not built yet');
    },
  };
}
