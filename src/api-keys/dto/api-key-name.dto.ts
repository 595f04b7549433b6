import { IsDisplayName } from '../../common/validation/display-name.decorator';

/** The body of create and rename. */
export class ApiKeyNameDto {
  /** Trimmed; 1 to 64 characters, no control characters. @example "CI Pipeline" */
  @IsDisplayName(64)
  name: string;
}
