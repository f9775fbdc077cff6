import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { UsageError } from './errors.js';
import type { Factory } from './factory.js';

/** The project a task command acts in: --project, then PM_PROJECT, then the profile's (`pm project use`). */
export function currentProject(f: Factory, flag: string | undefined): string {
  const project = flag ?? f.env.PM_PROJECT ?? f.config().get(f.settings().profile).project;
  if (!project) {
    throw new UsageError('no project selected; pass --project <key> or run `pm project use <key>`');
  }
  return project;
}

/** The branch checked out in the repository around `cwd`, read from `.git/HEAD` (no git needed). */
export function gitBranch(cwd: string): string | undefined {
  let dir = resolve(cwd);
  while (true) {
    const dotGit = join(dir, '.git');
    if (existsSync(dotGit)) {
      let gitDir = dotGit;
      // A worktree or submodule: `.git` is a file naming the real git directory.
      if (statSync(dotGit).isFile()) {
        const match = /^gitdir:\s*(.+)$/m.exec(readFileSync(dotGit, 'utf8'));
        if (!match) return undefined;
        gitDir = resolve(dir, match[1]!.trim());
      }
      const head = readFileSync(join(gitDir, 'HEAD'), 'utf8').trim();
      const ref = /^ref: refs\/heads\/(.+)$/.exec(head);
      return ref?.[1];
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** `WEB-42` from a branch name such as `WEB-42-fix-login` or `feature/web-42-login`. */
export function taskKeyFromBranch(branch: string): string | undefined {
  const match = /(?:^|\/)([A-Za-z][A-Za-z0-9]{1,9}-[1-9][0-9]*)(?=$|[-_/.])/.exec(branch);
  return match?.[1]?.toUpperCase();
}

/** The task named, else the one the current git branch names (said on stderr), else a usage error. */
export function taskRef(f: Factory, given: string | undefined): string {
  if (given) return /^[a-z][a-z0-9]{1,9}-\d+$/i.test(given) ? given.toUpperCase() : given;
  const branch = gitBranch(f.cwd);
  const key = branch ? taskKeyFromBranch(branch) : undefined;
  if (!key) {
    throw new UsageError(
      branch
        ? `name a task (such as WEB-42): the git branch ${branch} names none`
        : 'name a task (such as WEB-42); outside a git branch that names one, it is required',
    );
  }
  f.io.stderr.write(`Using ${key} from the git branch ${branch}\n`);
  return key;
}
