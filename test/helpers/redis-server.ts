// Moved to devtools/ (shared with the benchmarks); kept here so test imports stay short.
export * from '../../devtools/redis-server.js';
