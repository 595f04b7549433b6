import { IsDisplayName } from '../../common/validation/display-name.decorator';

export class UpdateUserDto {
  /** Trimmed; 1 to 100 characters, no control characters. @example "Ada Lovelace" */
  @IsDisplayName(100)
  name: string;
}
