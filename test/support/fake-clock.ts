import { Clock } from '../../src/common/clock';

/** Real time plus an offset the test moves forward. */
export class FakeClock extends Clock {
  private offsetMs = 0;

  advance(seconds: number): void {
    this.offsetMs += seconds * 1000;
  }

  override now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  override nowSeconds(): number {
    return Math.floor(this.now().getTime() / 1000);
  }
}
