import { Body, Controller, Get, Patch } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../common/decorators/api-errors.decorator';
import { JSON_BODY_ERRORS } from '../common/errors/common-errors';
import { Authenticated, RequiresScope } from '../credentials/auth.decorators';
import { CurrentPrincipal } from '../credentials/current-principal.decorator';
import { Principal } from '../credentials/principal';
import { UpdateUserDto } from './dto/update-user.dto';
import { UserDto } from './dto/user.dto';
import './user.scopes';
import { UsersService } from './users.service';

@ApiTags('Users')
@Authenticated()
@Controller('v1/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get('me')
  @RequiresScope('users:read')
  @ApiOperation({ operationId: 'getMe', summary: 'The signed-in user' })
  async getMe(@CurrentPrincipal() principal: Principal): Promise<UserDto> {
    return UserDto.from(await this.users.getProfile(principal.userId));
  }

  @Patch('me')
  @RequiresScope('users:write')
  @ApiOperation({ operationId: 'updateMe', summary: "Change the signed-in user's name" })
  @ApiErrors(...JSON_BODY_ERRORS)
  async updateMe(@CurrentPrincipal() principal: Principal, @Body() body: UpdateUserDto): Promise<UserDto> {
    return UserDto.from(await this.users.rename(principal.userId, body.name));
  }
}
