// Where the CLI writes. Commands take this instead of touching process.stdout, so tests can run
// them in-process and read exactly what a user would see.

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** Whether stderr is a terminal (progress is drawn only there). */
  isTty?(): boolean;
}

export const processIo: CliIo = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
  isTty: () => process.stderr.isTTY === true,
};
