import { connect } from 'node:net';

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * Sends `request` as written, byte for byte, on a new connection, and reads
 * the first response: for what no HTTP client will send (two Authorization
 * headers, a control character in a header, a body that never ends).
 */
export function rawRequest(port: number, request: string | Buffer, timeoutMs = 20_000): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      outcome();
    };
    const answer = () => {
      const response = parse(received);
      settle(() => (response ? resolve(response) : reject(new Error(`not an HTTP response: ${JSON.stringify(received.slice(0, 200))}`))));
    };
    const timer = setTimeout(() => settle(() => reject(new Error(`no response within ${timeoutMs} ms`))), timeoutMs);
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      const response = parse(received);
      if (response && Buffer.byteLength(response.body, 'latin1') >= Number(response.headers['content-length'] ?? Infinity)) answer();
    });
    socket.on('close', answer);
    socket.on('error', (error) => (received ? answer() : settle(() => reject(error))));
    socket.write(request);
  });
}

function parse(text: string): RawResponse | undefined {
  const end = text.indexOf('\r\n\r\n');
  if (end === -1) return undefined;
  const [statusLine, ...lines] = text.slice(0, end).split('\r\n');
  const headers = Object.fromEntries(
    lines.map((line) => {
      const colon = line.indexOf(':');
      return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()];
    }),
  );
  return { status: Number(statusLine.split(' ')[1]), headers, body: text.slice(end + 4) };
}
