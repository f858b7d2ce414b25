import { IsInt, IsString, Min, getMetadataStorage, validateSync } from 'class-validator';
import { cacheValidationMetadata } from './validation-metadata-cache';

describe('cached validation metadata', () => {
  beforeAll(() => cacheValidationMetadata());

  class Page {
    @IsInt()
    @Min(1)
    first!: number;
  }

  it('looks a class up once, and validates as before: its own rules and those it inherits', () => {
    class Search extends Page {
      @IsString()
      query!: string;
    }
    const storage = getMetadataStorage();
    const once = storage.getTargetValidationMetadatas(Search, '', false, false);
    expect(storage.getTargetValidationMetadatas(Search, '', false, false)).toBe(once);
    expect(once.map((m) => m.propertyName).sort()).toEqual(['first', 'first', 'query']);
    const wrong = Object.assign(new Search(), { first: 0, query: 3 });
    expect(validateSync(wrong).map((e) => e.property).sort()).toEqual(['first', 'query']);
    expect(validateSync(Object.assign(new Search(), { first: 2, query: 'x' }))).toEqual([]);
  });

  it('sees a rule added after the lookup', () => {
    class Later {
      @IsInt()
      count!: number;
    }
    const storage = getMetadataStorage();
    const before = storage.getTargetValidationMetadatas(Later, '', false, false);
    expect(before).toHaveLength(1);
    Min(5)(Later.prototype, 'count');
    const after = storage.getTargetValidationMetadatas(Later, '', false, false);
    expect(after).toHaveLength(2);
    expect(validateSync(Object.assign(new Later(), { count: 3 })).map((e) => Object.keys(e.constraints ?? {}))).toEqual([['min']]);
  });

  it('is installed once, however often it is asked for', () => {
    const lookup = getMetadataStorage().getTargetValidationMetadatas;
    cacheValidationMetadata();
    expect(getMetadataStorage().getTargetValidationMetadatas).toBe(lookup);
  });
});
