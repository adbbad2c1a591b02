import { z } from 'zod';
import { defineRequest, type AddedRequest } from './added-request.js';
import { badRequest } from './google-error.js';
import { sheetPropertiesInputSchema } from './request-schemas.js';
import { requireSheetId, sheetByTitle } from './spreadsheet-model.js';

/**
 * UpdateSheetPropertiesRequest with its field mask (`fields`): a field named in the mask but
 * absent from `properties` is reset to its default, as the API does (frozenRowCount 0 is then
 * left out of the resource, the proto3 way). Supported fields: title, hidden,
 * gridProperties.frozenRowCount and gridProperties.frozenColumnCount (`gridProperties` and `*`
 * mean those); resizing the grid this way is not supported (the project appends dimensions).
 */

const FIELDS = ['title', 'hidden', 'gridProperties.frozenRowCount', 'gridProperties.frozenColumnCount'] as const;

const updateSheetProperties = defineRequest(
  z.object({ properties: sheetPropertiesInputSchema.extend({ sheetId: z.number().int().default(0) }), fields: z.string().min(1) }),
  (model, { properties, fields }) => {
    const sheet = requireSheetId(model, properties.sheetId);
    const names = fields.split(',').flatMap((f) => {
      const name = f.trim();
      if (name === '*') return [...FIELDS];
      if (name === 'gridProperties') return ['gridProperties.frozenRowCount', 'gridProperties.frozenColumnCount'];
      if (!(FIELDS as readonly string[]).includes(name)) throw badRequest(`Invalid field mask: the test server does not update "${name}" of SheetProperties.`);
      return [name];
    });
    const grid = sheet.properties.gridProperties;
    for (const name of names) {
      if (name === 'title') {
        const title = properties.title ?? '';
        if (title.trim() === '') throw badRequest('The sheet name cannot be empty.');
        const other = sheetByTitle(model, title);
        if (other !== undefined && other !== sheet) throw badRequest(`A sheet with the name "${title}" already exists. Please enter another name.`);
        sheet.properties.title = title;
      } else if (name === 'hidden') {
        if (properties.hidden === true) sheet.properties.hidden = true;
        else delete sheet.properties.hidden;
      } else {
        const key = name === 'gridProperties.frozenRowCount' ? 'frozenRowCount' : 'frozenColumnCount';
        const value = properties.gridProperties?.[key] ?? 0;
        const size = key === 'frozenRowCount' ? grid.rowCount : grid.columnCount;
        if (value >= size) throw badRequest(`You can't freeze all visible ${key === 'frozenRowCount' ? 'rows' : 'columns'} on the sheet.`);
        if (value === 0) delete grid[key];
        else grid[key] = value;
      }
    }
    return {};
  },
);

export const SHEET_PROPERTY_REQUESTS: Readonly<Record<string, AddedRequest>> = { updateSheetProperties };
