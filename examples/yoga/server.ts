// Placeholder until the example server lands (issue: the GraphQL layer).
console.error('The example server is not built yet: `npm test` runs the test suite in the meantime.');
process.exitCode = 1;
