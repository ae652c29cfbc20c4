// One seeded PRNG for the whole project: tests and benchmarks replay the demo's generator.
export { seededRandom } from '../../src/cli/demo/world.js';
