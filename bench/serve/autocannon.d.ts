/**
 * The part of autocannon 9 the serving benchmark uses (the package ships no type declarations).
 * @module
 */
declare module "autocannon" {
  interface Histogram {
    readonly average: number;
    readonly p50: number;
    readonly p99: number;
    readonly min: number;
    readonly max: number;
    /** Count (requests histogram: requests completed in the run). */
    readonly total: number;
  }
  interface Result {
    readonly requests: Histogram;
    readonly latency: Histogram;
    readonly non2xx: number;
    readonly errors: number;
  }
  interface Options {
    readonly url: string;
    readonly method?: "GET" | "POST";
    readonly headers?: Record<string, string>;
    readonly body?: string | Buffer;
    readonly connections?: number;
    readonly pipelining?: number;
    readonly duration?: number;
  }
  function autocannon(options: Options): Promise<Result>;
  export default autocannon;
}
