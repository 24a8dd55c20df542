/** An IPv4 address as a dual-stack socket reports it (`::ffff:203.0.113.9`). */
const IPV4_MAPPED = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;

/**
 * An address written as the one it is: an IPv4-mapped IPv6 address as its IPv4 address, so one client is one
 * address to Cognito however the socket was opened; any other address as it is.
 */
export const plainAddress = (address: string): string => address.replace(IPV4_MAPPED, '$1');
