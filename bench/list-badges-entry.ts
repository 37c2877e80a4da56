// In-page entry of the list badges bench: the real badge controller and the Demo Desk adapter.
export { listBadges } from '../extension/src/overlay/badges';
export { demoDesk } from '../extension/src/adapters/demo-desk';
