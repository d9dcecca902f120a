export { DemoStrap, DEMO_RESONANCE_BPM, type DemoStrapOptions, type DemoClock } from './demo-strap';
export { HeartModel, type DemoScenario, type ModelBeat } from './model';
