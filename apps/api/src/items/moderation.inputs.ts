import { Field, ID, InputType } from '@nestjs/graphql';
import { IsBoolean, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { MAX_COMMENT_LENGTH } from '@headwaters/items';

@InputType({ description: "A comment's new text, by its author; the text before is kept in a COMMENT_EDITED event." })
export class EditCommentInput {
  @Field(() => ID, { description: 'The comment.' })
  @IsString() @MaxLength(200)
  commentId!: string;

  @Field({ description: `The new text (1 to ${MAX_COMMENT_LENGTH} characters).` })
  @IsString() @MinLength(1) @MaxLength(MAX_COMMENT_LENGTH + 100)
  body!: string;
}

@InputType({ description: 'Hides a comment (spam, abuse) or shows it again. The item\'s maintainers and admins.' })
export class HideCommentInput {
  @Field(() => ID, { description: 'The comment.' })
  @IsString() @MaxLength(200)
  commentId!: string;

  @Field({ description: 'true hides it, false shows it again.' })
  @IsBoolean()
  hidden!: boolean;

  @Field(() => String, { nullable: true, description: 'Why, shown in the timeline (at most 500 characters).' })
  @IsOptional() @IsString() @MaxLength(500)
  reason?: string | null;
}
