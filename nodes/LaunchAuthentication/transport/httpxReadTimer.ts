import type { Socket } from 'node:net';

/**
 * The Alibaba SDK's HTTP client (httpx) arms a read timer per request and keeps it on the (shared,
 * kept-alive) socket under a private symbol. It is only cleared when the answer is read with httpx.read;
 * the SDK reads bodies itself, so the timer stays armed for the whole read timeout after the answer
 * arrived. Meanwhile it keeps the finished request alive (measured: 6.4 kB of heap per request), and when
 * it fires it wipes the timer of whatever request then uses that socket, making httpx.read fail at once
 * with a false "ReadTimeout". This disarms the timer of a request whose answer has fully arrived.
 */
const TIMER_DESCRIPTION = 'TIMER::READ_TIMER';

export function disarmHttpxReadTimer(socket: Socket | null | undefined): void {
	if (!socket) return;
	const symbol = Object.getOwnPropertySymbols(socket).find((s) => s.description === TIMER_DESCRIPTION);
	if (!symbol) return;
	const holder = socket as unknown as Record<symbol, ReturnType<typeof setTimeout> | null>;
	const timer = holder[symbol];
	if (timer) clearTimeout(timer);
	holder[symbol] = null;
}
