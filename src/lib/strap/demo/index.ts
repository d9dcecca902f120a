export { DemoStrap, type DemoStrapOptions, type DemoClock } from './demo-strap';
export { HeartModel, type DemoScenario, type ModelBeat } from './model';
