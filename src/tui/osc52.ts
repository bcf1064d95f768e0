// Copying to the clipboard through the terminal (OSC 52): works over ssh and in tmux with
// set-clipboard on; terminals that ignore it show nothing, which is why the command is
// also printed.
export function osc52(text: string): string {
  return `\u001b]52;c;${Buffer.from(text, 'utf8').toString('base64')}\u0007`;
}
