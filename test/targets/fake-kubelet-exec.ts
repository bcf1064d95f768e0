// The far side of a fake `kubectl exec`: what the API server and kubelet do together for one
// exec over the v5.channel.k8s.io WebSocket subprotocol, with THIS machine as the container.
// The argv from the request's `command` parameters runs as a child process (no shell).
//
// Frames are binary; the first byte is the channel: 0 stdin, 1 stdout, 2 stderr, 3 the
// final Status (JSON), 4 resize, 255 close-stream (v5: [255, channel]).
// Stdin ends the way it ends in a cluster:
// - on [255, 0], which kubectl sends when its own stdin reaches EOF: the API server closes
//   that channel's pipe (k8s.io/apimachinery wsstream/conn.go, `handle`: "Received
//   half-close signal from client; close %d stream");
// - when the WebSocket goes away (kubectl killed): `handle` returns and `defer conn.Close()`
//   closes every channel's pipe.
// The API server's SPDY client then half-closes the kubelet's stdin stream (client-go
// remotecommand, streamProtocolV2.copyStdin: "make sure we close remoteStdin as soon as the
// copy … finishes. Otherwise the executed command will remain running"), and the container
// runtime closes the process's stdin. That last hop (kubelet, CRI) is what this file
// stands in for: it was not tried against a real kubelet.
// The child is never killed here: a real kubelet does not kill an exec'd process when the
// client goes, which is why the transport's remote watcher exists.
import { spawn, type ChildProcess } from 'node:child_process';
import { constants } from 'node:os';
import type { WebSocket } from 'ws';

const STDIN = 0;
const STDOUT = 1;
const STDERR = 2;
const STATUS = 3;
const CLOSE_STREAM = 255;

/** The Status kubectl decodes on channel 3 (client-go remotecommand errorDecoderV4): a
 *  non-zero exit is reason NonZeroExitCode with the code as the message of an ExitCode cause
 *  (StatusCause.Type is serialised as "reason"); kubectl then exits with that code. */
function exitStatus(code: number): object {
  if (code === 0) return { metadata: {}, status: 'Success' };
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: exit status ${code}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(code) }] },
  };
}

function frame(channel: number, data: Buffer | string): Buffer {
  return Buffer.concat([Buffer.from([channel]), Buffer.isBuffer(data) ? data : Buffer.from(data)]);
}

/** Runs argv for one exec WebSocket and answers with its output and exit status. */
export function serveExec(socket: WebSocket, argv: string[], wants: { stdin: boolean }): ChildProcess {
  const [file, ...args] = argv;
  const child = spawn(file ?? '', args, { stdio: [wants.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
  const endStdin = (): void => {
    child.stdin?.end();
  };
  // A process that exits without reading its stdin makes writes fail with EPIPE: harmless.
  child.stdin?.on('error', () => undefined);
  socket.on('message', (data: Buffer) => {
    if (data[0] === STDIN) child.stdin?.write(data.subarray(1));
    else if (data[0] === CLOSE_STREAM && data[1] === STDIN) endStdin();
  });
  socket.on('close', endStdin);
  // A connection reset (kubectl killed) is followed by 'close', which is what matters here.
  socket.on('error', () => undefined);
  child.stdout!.on('data', (chunk: Buffer) => socket.send(frame(STDOUT, chunk)));
  child.stderr!.on('data', (chunk: Buffer) => socket.send(frame(STDERR, chunk)));
  const finish = (status: object): void => {
    socket.send(frame(STATUS, JSON.stringify(status)));
    socket.close(1000);
  };
  child.on('error', (error) => {
    // What a runtime reports for an argv[0] it cannot start: an InternalError Status.
    finish({ metadata: {}, status: 'Failure', message: `error executing command in container: ${error.message}`, reason: 'InternalError', code: 500 });
  });
  // 'close', not 'exit': every byte of stdout and stderr has been sent before the status.
  child.on('close', (code, signal) => {
    if (child.pid === undefined) return;
    // As the container runtime reports a signalled process: 128 + the signal number.
    finish(exitStatus(code ?? 128 + (signal ? constants.signals[signal] : 0)));
  });
  return child;
}
