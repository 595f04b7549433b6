import { Injectable } from '@nestjs/common';

/** The time, behind an injectable so tests can move it instead of sleeping. */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }

  nowSeconds(): number {
    return Math.floor(Date.now() / 1000);
  }
}
