/**
 * s3rver as a process of its own, for tests that put the S3-protocol server on another host (a network
 * namespace, helpers/netns.ts): `node --import tsx s3rver-process.ts <address> <bucket>…` prints
 * `{"endpoint": …}` on one line once it listens, and serves until killed.
 * @module
 */
import { startS3rver } from "../data/s3rver-helper.js";

const [address, ...buckets] = process.argv.slice(2);
const server = await startS3rver(buckets, address);
process.stdout.write(`${JSON.stringify({ endpoint: server.endpoint })}\n`);
const stop = () => void server.stop().then(() => process.exit(0));
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
