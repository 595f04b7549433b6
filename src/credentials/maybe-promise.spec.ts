import { thenMaybe } from './maybe-promise';

describe('thenMaybe', () => {
  it('applies the step at once to a value that is already here', () => {
    expect(thenMaybe(2, (n) => n * 3)).toBe(6);
  });

  it('applies it later to a promise', async () => {
    const result = thenMaybe(Promise.resolve(2), (n) => n * 3);
    expect(result).toBeInstanceOf(Promise);
    expect(await result).toBe(6);
  });

  it('waits for any thenable, never handing it to the step as a value', async () => {
    const foreign = { then: (resolve: (n: number) => void) => resolve(2) } as unknown as Promise<number>;
    expect(await thenMaybe(foreign, (n) => n * 3)).toBe(6);
  });

  it('lets a synchronous throw in the step surface as a throw', () => {
    expect(() =>
      thenMaybe(2, () => {
        throw new Error('refused');
      }),
    ).toThrow('refused');
  });
});
