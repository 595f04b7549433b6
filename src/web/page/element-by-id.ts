/**
 * The element with this id, checked to be of the expected kind. The markup and the code
 * ship together, so a missing element is a bug worth failing loudly on at start-up.
 */
export function elementById<T extends HTMLElement>(id: string, kind: new () => T): T {
  const element = document.getElementById(id);
  if (!(element instanceof kind)) throw new Error(`#${id} is missing or is not a ${kind.name}`);
  return element;
}
