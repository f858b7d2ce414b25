import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { InputValidationError } from '@headwaters/graphql-kit';
import { createValidationPipe } from './validation.pipe';

class FilterInput {
  @IsOptional() @IsString() @MaxLength(10)
  text?: string;
}

class PageArgs {
  @IsOptional() @IsInt() @Min(1) @Max(100)
  first?: number;

  @IsOptional() @ValidateNested() @Type(() => FilterInput)
  filter?: FilterInput;
}

const ARGS = { type: 3, metatype: PageArgs, data: undefined } as never;

describe('the validation pipe', () => {
  const pipe = createValidationPipe();

  it('gives the same instance, a fresh copy each time, for an input it has passed before', async () => {
    const first = (await pipe.transform({ first: 25, filter: { text: 'leak' } }, ARGS)) as PageArgs;
    const again = (await pipe.transform({ first: 25, filter: { text: 'leak' } }, ARGS)) as PageArgs;
    for (const args of [first, again]) {
      expect(args).toBeInstanceOf(PageArgs);
      expect(args.filter).toBeInstanceOf(FilterInput);
      expect(args).toEqual({ first: 25, filter: { text: 'leak' } });
    }
    expect(again).not.toBe(first);
    expect(again.filter).not.toBe(first.filter);
    // What one request does to its arguments is not what the next one gets.
    again.filter!.text = 'changed';
    again.first = 99;
    const third = (await pipe.transform({ first: 25, filter: { text: 'leak' } }, ARGS)) as PageArgs;
    expect(third).toEqual({ first: 25, filter: { text: 'leak' } });
  });

  it('refuses a bad input every time, and tells inputs apart by every value and field', async () => {
    for (let i = 0; i < 2; i++) {
      await expect(pipe.transform({ first: 0 }, ARGS)).rejects.toThrow(InputValidationError);
      await expect(pipe.transform({ first: 5, filter: { text: 'much too long' } }, ARGS)).rejects.toThrow(/text/);
      await expect(pipe.transform({ first: 5, unknown: 1 }, ARGS)).rejects.toThrow(/unknown/);
    }
    expect(await pipe.transform({ first: 5 }, ARGS)).toEqual({ first: 5 });
    // Written as JSON, an unknown field left undefined would look like the input just passed.
    await expect(pipe.transform({ first: 5, unknown: undefined }, ARGS)).rejects.toThrow(/unknown/);
    await expect(pipe.transform({ first: 500 }, ARGS)).rejects.toThrow(InputValidationError);
    await expect(pipe.transform({ first: '5' }, ARGS)).rejects.toThrow(InputValidationError);
    expect(await pipe.transform({ first: 6 }, ARGS)).toEqual({ first: 6 });
  });

  it('settles an argument at once when it can: unchecked, or passed before; otherwise gives the promise of transform', async () => {
    expect(pipe.settle(25, { type: 3, metatype: Number, data: 'first' } as never)).toBe(25);
    const first = pipe.settle({ first: 12 }, ARGS);
    expect(first).toBeInstanceOf(Promise);
    expect(await first).toEqual({ first: 12 });
    const again = pipe.settle({ first: 12 }, ARGS);
    expect(again).toBeInstanceOf(PageArgs);
    expect(again).toEqual({ first: 12 });
    expect(again).not.toBe(await first);
    await expect(pipe.settle({ first: 0 }, ARGS) as Promise<unknown>).rejects.toBeInstanceOf(InputValidationError);
    // Refused, it is never kept: the next one is checked again.
    const refusedAgain = pipe.settle({ first: 0 }, ARGS) as Promise<unknown>;
    expect(refusedAgain).toBeInstanceOf(Promise);
    await expect(refusedAgain).rejects.toBeInstanceOf(InputValidationError);
  });
});
