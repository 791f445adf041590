// jest globalSetup of the terraform project: installs the AWS provider once for every suite.
import { prepareTerraform } from '../helpers/terraform';

export default prepareTerraform;
