export {
  auditActionGroupLabels,
  auditActionLabels,
  auditOutcomeLabels,
  auditTargetTypeLabels,
  dateTimeFormat,
  minuteFormat,
  platform,
  regionLevelLabels,
} from './common.ts';
export { menu } from './menu.ts';
