import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BulkTaskResult, CriticalPath, Project, Task } from '@pmkit/sdk';
import { startTestServer, type TestServer } from '@pmkit/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from './helpers.js';

const bin = fileURLToPath(new URL('../bin/pm.cjs', import.meta.url));

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/** The built `pm` as a script runs it: a child process, no terminal, its own profile. */
function pmIn(server: TestServer, configDir: string) {
  return (args: string[], stdin = ''): Promise<Ran> =>
    new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [bin, ...args], {
        env: { PATH: process.env.PATH, PM_CONFIG_DIR: configDir, PM_SERVER: server.url },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk) => {
        stdout += chunk;
      });
      child.stderr.on('data', (chunk) => {
        stderr += chunk;
      });
      child.on('error', reject);
      child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
      child.stdin.end(stdin);
    });
}

const json = <T>(ran: Ran): T => {
  expect(ran.code, ran.stderr).toBe(0);
  return JSON.parse(ran.stdout) as T;
};

let server: TestServer;
let pm: ReturnType<typeof pmIn>;

beforeAll(async () => {
  server = await startTestServer();
  pm = pmIn(server, tempDir());
  const password = 'correct horse battery staple\n';
  expect(
    (
      await pm(
        [
          'auth',
          'register',
          '--email',
          'script@example.com',
          '--name',
          'Script',
          '--password-stdin',
        ],
        password,
      )
    ).code,
  ).toBe(0);
  expect((await pm(['org', 'create', 'Scripted', '--switch'])).code).toBe(0);
});
afterAll(async () => {
  await server?.close();
});

describe('a scripted session with the built pm, no terminal, every answer as JSON', () => {
  it('template → project, 30 tasks with subtasks and links, critical path, bulk, filters', async () => {
    // A template from a small project, then a project from the template.
    json<Project>(await pm(['project', 'create', 'TPL', 'Template source', '--json']));
    json<Task>(await pm(['task', 'create', 'Kick-off', '--project', 'TPL', '--json']));
    expect((await pm(['project', 'template', 'save', 'TPL', '--name', 'Starter'])).code).toBe(0);
    const web = json<Project>(
      await pm(['project', 'create', 'WEB', 'Website', '--template', 'Starter', '--use', '--json']),
    );
    expect(web.key).toBe('WEB');
    const copied = json<Task[]>(await pm(['task', 'list', '--json']));
    expect(copied.map((t) => t.title)).toEqual(['Kick-off']);

    // 10 parents with 2 subtasks each (30 tasks), chained by dependencies.
    const parents: Task[] = [];
    for (let i = 0; i < 10; i++) {
      const parent = json<Task>(
        await pm([
          'task',
          'create',
          `Feature ${i}`,
          '--estimate',
          String(30 + i * 10),
          '--priority',
          i % 2 ? 'high' : 'low',
          '--label',
          i % 3 ? 'feature' : 'bug',
          '--json',
        ]),
      );
      parents.push(parent);
      for (const part of ['design', 'build']) {
        json<Task>(await pm(['task', 'create', `${part} ${i}`, '--parent', parent.key, '--json']));
      }
    }
    for (let i = 0; i < 9; i++) {
      const linked = await pm(['task', 'link', parents[i]!.key, '--blocks', parents[i + 1]!.key]);
      expect(linked.code, linked.stderr).toBe(0);
    }
    const all = json<Task[]>(await pm(['task', 'list', '--json', '--limit', '100']));
    expect(all).toHaveLength(31);

    const path = json<CriticalPath>(await pm(['project', 'critical-path', '--json']));
    expect(path.tasks.map((t) => t.key)).toEqual(parents.map((p) => p.key));
    expect(path.totalMinutes).toBe(parents.reduce((sum, p) => sum + (p.estimateMinutes ?? 0), 0));

    // A cycle is refused (exit 5) and changes nothing.
    const cycle = await pm(['task', 'link', parents[9]!.key, '--blocks', parents[0]!.key]);
    expect(cycle.code).toBe(5);
    expect(cycle.stderr).toMatch(/cycle/);

    // 20 subtasks move to started in one request.
    const subtasks = all.filter((t) => t.parentId !== null).slice(0, 20);
    const bulk = json<BulkTaskResult['results']>(
      await pm(['task', 'bulk', ...subtasks.map((t) => t.key), '--status', 'started', '--json']),
    );
    expect(bulk.filter((r) => r.ok)).toHaveLength(20);
    const started = json<Task[]>(
      await pm(['task', 'list', '--status', 'started', '--json', '--limit', '100']),
    );
    expect(started.map((t) => t.key).sort()).toEqual(subtasks.map((t) => t.key).sort());
    const highBugs = json<Task[]>(
      await pm(['task', 'list', '--priority', 'high', '--label', 'bug', '--json']),
    );
    expect(highBugs.map((t) => t.title).sort()).toEqual(['Feature 3', 'Feature 9']);

    // 501 tasks in one bulk request: refused whole (exit 2), nothing changed.
    const keys = Array.from({ length: 501 }, (_, i) => `WEB-${i + 1}`);
    const tooMany = await pm(['task', 'bulk', ...keys, '--priority', 'urgent']);
    expect(tooMany.code).toBe(2);
    const urgent = json<Task[]>(await pm(['task', 'list', '--priority', 'urgent', '--json']));
    expect(urgent).toEqual([]);
  });
});
