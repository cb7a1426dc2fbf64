/**
 * threadkit's per-user cache directories (compiled `.ts` modules, V8 code caches): where they
 * go, and whether one may be used. Their files are code this process runs, and in a shared
 * tmpdir another user could have made the directory first.
 */
import { mkdirSync, statSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

/** `<tmpdir>/threadkit-<uid>/<name>`. */
export function userCacheDir(name: string): string {
  let user: string;
  try {
    const info = userInfo();
    user = String(info.uid >= 0 ? info.uid : info.username);
  } catch {
    user = 'user';
  }
  return join(tmpdir(), `threadkit-${user}`, name);
}

/**
 * Whether `dir` (made first, mode 0700, when `create`) is ours and writable by nobody else;
 * undefined when it does not exist and was not to be made (undecided until it is).
 */
export function isPrivateDir(dir: string, create: boolean): boolean | undefined {
  try {
    if (create) mkdirSync(dir, { recursive: true, mode: 0o700 });
    const st = statSync(dir);
    const uid = process.getuid?.();
    return st.isDirectory() && (uid === undefined || st.uid === uid) && (st.mode & 0o022) === 0;
  } catch {
    return create ? false : undefined;
  }
}
