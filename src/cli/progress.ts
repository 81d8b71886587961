import type { ProgressEvent } from '../app/index.js';

/**
 * Live progress on stderr: one rewritten line on a terminal; nothing when stderr is not a TTY
 * (pipes and CI logs get the result, not a flood of carriage returns).
 */
export function createProgressReporter(stream: NodeJS.WriteStream = process.stderr): {
  onProgress: (event: ProgressEvent) => void;
  done(): void;
} {
  const live = Boolean(stream.isTTY);
  const running = new Set<string>();
  let line = '';
  const draw = (text: string) => {
    if (!live) return;
    const width = (stream.columns ?? 100) - 1;
    line = text.length > width ? `${text.slice(0, width - 1)}…` : text;
    stream.write(`\r\u001b[2K${line}`);
  };
  return {
    onProgress(event) {
      if (event.type === 'source-started') running.add(event.source);
      if (event.type === 'source-finished') {
        running.delete(event.row.source);
        draw(`collecting [${event.done}/${event.total}] ${event.row.source}: ${event.row.status}${running.size ? ` · running ${[...running].join(', ')}` : ''}`);
      }
    },
    done() {
      if (live && line) stream.write('\r\u001b[2K');
    },
  };
}
