import { Clock } from '../../src/common/clock';

/** Real time plus an offset the test moves forward. */
export class FakeClock extends Clock {
  private offsetMs = 0;

  advance(seconds: number): void {
    this.offsetMs += seconds * 1000;
  }

  override now(): Date {
    return new Date(this.nowMs());
  }

  override nowMs(): number {
    return Date.now() + this.offsetMs;
  }
}
