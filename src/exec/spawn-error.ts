// Why a program could not be started, in words an engineer can act on.
export function describeSpawnError(program: string, code: string | undefined, message: string): string {
  const where = program.includes('/') ? `program '${program}' does not exist` : `program '${program}' not found on PATH`;
  switch (code) {
    case 'ENOENT':
      return where;
    case 'EACCES':
      return `program '${program}' is not executable (permission denied)`;
    case 'ENOTDIR':
      return `program '${program}': a part of the path is not a directory`;
    default:
      return `could not start '${program}': ${message}`;
  }
}
