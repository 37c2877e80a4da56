import { z } from 'zod';
import { PRIORITIES, ROLES, STATUS_CATEGORIES } from './constants.js';

export * from './constants.js';

export const statusCategory = z.enum(STATUS_CATEGORIES);
export const priority = z.enum(PRIORITIES);
export const role = z.enum(ROLES);
