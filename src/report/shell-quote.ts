/** Quotes an argument for a POSIX shell when it holds anything but safe characters. */
export function shellQuote(arg: string): string {
  if (/^[A-Za-z0-9._/:=@+-]+$/.test(arg)) return arg;
  return `'${arg.replaceAll("'", "'\\''")}'`;
}
