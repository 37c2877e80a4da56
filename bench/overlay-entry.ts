// In-page entry of the fixture overlay bench: the content script's real mount (adapters, overlay).
export { startOverlay } from '../extension/src/overlay/mount';
