// Loopback servers shared by the tests of several projects (review, apply, cli): listening on
// 127.0.0.1, and GitHub's REST API. Test support only (tagged type:test-support).
export * from './listen';
export * from './github';
