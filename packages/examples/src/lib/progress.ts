/**
 * The training progress bar (cli-progress) on stderr, so stdout stays the checked output: the
 * epoch, the batches done, the last batch's loss and the throughput in samples per second.
 * cli-progress draws nothing when stderr is not a terminal (CI, pipes).
 */
import cliProgress from 'cli-progress';

export class ProgressBar {
  private readonly bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: '{title} epoch {epoch} [{bar}] {value}/{total} batches | loss {loss} | {speed} samples/s',
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  private started = 0;
  private samples = 0;

  constructor(private readonly title: string) {}

  /** Starts an epoch of `batches` batches. */
  startEpoch(epoch: number, batches: number): void {
    this.started = performance.now();
    this.samples = 0;
    this.bar.start(batches, 0, { title: this.title, epoch, loss: '-', speed: '-' });
  }

  /** One batch of `size` samples is done, with this loss. */
  step(size: number, loss: number): void {
    this.samples += size;
    const seconds = (performance.now() - this.started) / 1000;
    this.bar.increment(1, { loss: loss.toFixed(4), speed: seconds > 0 ? Math.round(this.samples / seconds) : '-' });
  }

  /** Ends the epoch (the bar clears itself). */
  endEpoch(): void {
    this.bar.stop();
  }
}
