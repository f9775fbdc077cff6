// A small contract in the shapes the capabilities use: a CSV import that also takes JSON, a
// report offered as JSON or CSV, a long write, and a stream that fails mid-way.
const problem = {
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
};
const idempotencyKey = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  schema: { type: 'string', minLength: 1, maxLength: 255 },
};
const uploadResult = {
  description: 'What was read',
  content: {
    'application/json': {
      schema: {
        type: 'object',
        required: ['bytes', 'lines', 'sha256'],
        properties: {
          bytes: { type: 'integer' },
          lines: { type: 'integer' },
          sha256: { type: 'string' },
        },
      },
    },
  },
};
const errors = { '400': problem, '409': problem, '413': problem, '415': problem, '422': problem };
const csvBody = (limit?: string) => ({
  required: true,
  ...(limit ? { 'x-body-limit': limit } : {}),
  content: { 'text/csv': { schema: { type: 'string' } } },
});
const upload = (operationId: string, requestBody: object) => ({
  post: {
    operationId,
    security: [],
    parameters: [idempotencyKey],
    requestBody,
    responses: { '201': uploadResult, ...errors },
  },
});

export const fixtureContract = {
  openapi: '3.1.0',
  info: { title: 'core fixture', version: '0' },
  paths: {
    '/v1/uploads': upload('upload', {
      required: true,
      content: {
        'text/csv': { schema: { type: 'string' } },
        'application/json': {
          schema: {
            type: 'object',
            required: ['rows'],
            additionalProperties: false,
            properties: { rows: { type: 'array', items: { type: 'string' } } },
          },
        },
      },
    }),
    '/v1/uploads/small': upload('uploadSmall', csvBody('1mb')),
    '/v1/uploads/slow': upload('slowUpload', csvBody()),
    '/v1/uploads/recorded': upload('recordedUpload', csvBody()),
    '/v1/report': {
      get: {
        operationId: 'report',
        security: [],
        parameters: [
          { name: 'format', in: 'query', schema: { type: 'string', enum: ['json', 'csv'] } },
        ],
        responses: {
          '200': {
            description: 'The report',
            content: {
              'application/json': { schema: { type: 'object' } },
              'text/csv': { schema: { type: 'string' } },
            },
          },
          '400': problem,
          '406': problem,
        },
      },
    },
    '/v1/events': {
      get: {
        operationId: 'events',
        security: [],
        responses: {
          '200': {
            description: 'An endless event stream',
            content: { 'text/event-stream': { schema: { type: 'string' } } },
          },
        },
      },
    },
    '/v1/broken': {
      get: {
        operationId: 'broken',
        security: [],
        responses: {
          '200': { description: 'A CSV', content: { 'text/csv': { schema: { type: 'string' } } } },
        },
      },
    },
  },
  components: {
    schemas: {
      Problem: { type: 'object', required: ['type', 'title', 'status'] },
    },
  },
};
