export { commonErrors as accessErrors } from '../../plugins/errors.ts';
